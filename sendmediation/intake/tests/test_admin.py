import pytest
from django.urls import reverse

from sendmediation.accounts.models import User
from sendmediation.intake import services
from sendmediation.intake.models import HelpRequest
from sendmediation.intake.tests.journey import professional_dr
from sendmediation.intake.tests.test_services import complete_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser(username="root", password="x" * 16, role=User.Role.MANAGER)
    client.force_login(user)
    return client


def test_staff_see_requests_in_a_list_without_personal_details(admin_client, django_assert_max_num_queries):
    for _ in range(3):
        services.submit_request(draft=complete_draft())
    services.submit_request(draft=complete_draft(professional_dr()))
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:intake_helprequest_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    for reference in HelpRequest.objects.values_list("reference", flat=True):
        assert reference in html
    assert "Westminster" in html and "Mediation" in html and "Disagreement resolution" in html
    for personal in ("Amir Khan", "Sarah Khan", "SW1A 1AA", "sarah.khan@example.org", "07700 900123"):
        assert personal not in html


def test_a_request_is_read_only_and_its_letter_is_not_linked(admin_client):
    request = services.submit_request(draft=complete_draft())
    response = admin_client.get(reverse("admin:intake_helprequest_change", args=[request.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Amir Khan" in html and "Not uploaded" in html
    assert 'name="child_name"' not in html and "/media/" not in html
    assert admin_client.get(reverse("admin:intake_helprequest_add")).status_code == 403
