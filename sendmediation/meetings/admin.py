"""Staff keep venues, rooms, mediators' profiles and the diaries a schedule is proposed from here;
meetings change only through the pages."""

from __future__ import annotations

from django.contrib import admin

from sendmediation.meetings.models import (
    FamilyAvailability,
    Leave,
    MediatorDiary,
    MediatorProfile,
    Room,
    RoomAvailability,
    RoomBooking,
    Venue,
)


class RoomInline(admin.TabularInline):
    model = Room
    extra = 1


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "postcode", "step_free", "open_for_bookings")
    list_filter = ("step_free", "open_for_bookings")
    search_fields = ("name", "postcode", "address")
    inlines = [RoomInline]


class RoomAvailabilityInline(admin.StackedInline):
    model = RoomAvailability
    extra = 0


class RoomBookingInline(admin.TabularInline):
    model = RoomBooking
    extra = 1


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "venue")
    inlines = [RoomAvailabilityInline, RoomBookingInline]
    search_fields = ("name", "venue__name")
    list_select_related = ("venue",)


@admin.register(MediatorProfile)
class MediatorProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "accreditation", "skilled_in_health", "skilled_with_young_people")
    search_fields = ("user__username", "user__first_name", "user__last_name", "accreditation")
    filter_horizontal = ("excluded_authorities",)
    list_select_related = ("user",)


@admin.register(MediatorDiary)
class MediatorDiaryAdmin(admin.ModelAdmin):
    list_display = ("mediator", "day_starts", "day_ends", "max_meetings_a_day")
    filter_horizontal = ("travels_to",)
    list_select_related = ("mediator",)


@admin.register(Leave)
class LeaveAdmin(admin.ModelAdmin):
    list_display = ("person", "first_day", "last_day")
    list_select_related = ("person",)
    date_hierarchy = "first_day"


@admin.register(FamilyAvailability)
class FamilyAvailabilityAdmin(admin.ModelAdmin):
    list_display = ("case", "in_person", "online", "needs_step_free")
    raw_id_fields = ("case",)
    list_select_related = ("case",)
