from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from sendmediation.website.views import cms_sign_in
from sendmediation.website.wagtail_urls import public

urlpatterns = [
    path("", include("sendmediation.website.urls")),
    path("", include("sendmediation.accounts.urls")),
    path("request/", include("sendmediation.intake.urls")),
    path("api/v1/", include("sendmediation.api.urls")),
    path("staff/notifications/", include("sendmediation.notifications.urls")),
    path("staff/cases/", include("sendmediation.cases.urls")),
    path("staff/cases/", include("sendmediation.dataprotection.urls")),  # the subject access export
    path("staff/access/", include("sendmediation.dataprotection.access_urls")),  # who opened what
    path("staff/meetings/", include("sendmediation.meetings.urls")),
    path("diary-feed/", include("sendmediation.meetings.feed_urls")),  # private calendar links
    path("staff/agreements/", include("sendmediation.agreements.urls")),
    path("staff/reports/", include("sendmediation.reports.urls")),
    path("staff/feedback/", include("sendmediation.website.feedback_urls")),
    path("", include("sendmediation.cases.public_urls")),  # /verify/ and the family's own link
    path("", include("sendmediation.agreements.public_urls")),  # signing links, the signed agreement
    path("", include("sendmediation.feedback.public_urls")),  # the follow-up survey's one-use link
    path("django-admin/", admin.site.urls),
    # Before Wagtail's own sign-in page, so staff sign in to the CMS where the lock-out applies.
    path("cms/login/", cms_sign_in, name="cms_sign_in"),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(public(wagtaildocs_urls.urlpatterns))),
    # Every other address is a page in the Wagtail tree: keep this last.
    path("", include(public(wagtail_urls.urlpatterns))),
]
