"""Staff keep venues, rooms and mediators' profiles here; meetings change only through the pages."""

from __future__ import annotations

from django.contrib import admin

from sendmediation.meetings.models import MediatorProfile, Room, Venue


class RoomInline(admin.TabularInline):
    model = Room
    extra = 1


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "postcode", "step_free", "open_for_bookings")
    list_filter = ("step_free", "open_for_bookings")
    search_fields = ("name", "postcode", "address")
    inlines = [RoomInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "venue")
    search_fields = ("name", "venue__name")
    list_select_related = ("venue",)


@admin.register(MediatorProfile)
class MediatorProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "accreditation", "skilled_in_health", "skilled_with_young_people")
    search_fields = ("user__username", "user__first_name", "user__last_name", "accreditation")
    filter_horizontal = ("excluded_authorities",)
    list_select_related = ("user",)
