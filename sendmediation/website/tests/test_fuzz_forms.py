"""Every form the public and staff fill in, sent arbitrary input through the test client: never a 5xx.

Each page is opened first and its own HTML says which fields to fill, so a field added later is
fuzzed too. A page that no longer shows a form fails the test rather than passing it unseen.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendmediation.agreements import services as agreement_services
from sendmediation.agreements.tests.helpers import ITEMS, held_case
from sendmediation.cases import workflow
from sendmediation.cases.family import family_token
from sendmediation.cases.models import Case
from sendmediation.cases.tests.builders import ANY_KIND, ROUTES, case_in
from sendmediation.cases.tests.test_dr_consent import _asked, _party, _token
from sendmediation.cases.tests.test_services import phone_request
from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.feedback.services import survey_token
from sendmediation.intake.tests import journey

pytestmark = pytest.mark.django_db

# Input people (and scripts) really send: absurdly large numbers, other scripts' digits, control
# characters, markup, very long text.
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1" * 20,
    "9" * 400,
    "99999999999999999999999999",
    "١٢",
    "²",
    "\x00",
    "\r\n",
    "%0A",
    "\u202e",
    "<script>alert(1)</script>",
    "'; DROP TABLE cases_case; --",
    "2026-02-30",
    "31",
    "13",
    "a" * 5000,
    "NaN",
    "1e309",
]
TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.from_regex(r"\A-?[0-9]{1,30}\Z"))
HUGE = st.sampled_from(["1" * 20, "9" * 400, "18446744073709551616", "-" + "9" * 30])

# A date's three boxes are drawn together, so that a real date with one absurd part is often tried.
DATE_PARTS = (("_0", "_1", "_2"), ("-day", "-month", "-year"))


@st.composite
def _date_boxes(draw: Any) -> tuple[str, str, str]:
    real = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
    parts = [str(real.day), str(real.month), str(real.year)]
    mode = draw(st.sampled_from(["real", "one part wrong", "any"]))
    if mode == "one part wrong":
        parts[draw(st.integers(0, 2))] = draw(st.one_of(HUGE, TEXT))
    elif mode == "any":
        parts = [draw(TEXT) for _ in parts]
    return parts[0], parts[1], parts[2]


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)


class _FormReader(HTMLParser):
    """The forms on a page: method, action and each field's kind and offered values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(values.get("method", "get").lower(), values.get("action", "")))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = values.get("name")
        if tag == "option" and self._select is not None:
            form.fields[self._select]["options"].append(values.get("value", ""))
        if not name or name == "csrfmiddlewaretoken":
            return
        kind = values.get("type", "text") if tag == "input" else tag
        spec = form.fields.setdefault(name, {"kind": kind, "options": [], "value": values.get("value", "")})
        if kind in ("radio", "checkbox"):
            spec["options"].append(values.get("value", "on"))
        if tag == "select":
            self._select = name

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _forms(html: bytes, url: str) -> list[Form]:
    reader = _FormReader()
    reader.feed(html.decode("utf-8"))
    for form in reader.forms:
        form.action = urljoin(url, form.action or url)
    # The header's sign-out button is not a form anyone fills in.
    return [form for form in reader.forms if not form.action.endswith("/sign-out/")]


POOL = 60


@dataclass
class Draws:
    """Everything one example sends, drawn before the page is read: what the page shows may change
    from one example to the next (a link used, a case moved on), and what Hypothesis draws must not."""

    texts: list[str]
    picks: list[int]
    dates: list[tuple[str, str, str]]
    upload: tuple[str, bytes]
    used: int = 0

    def next(self) -> int:
        self.used += 1
        return self.used % POOL


DRAWS = st.builds(
    Draws,
    texts=st.lists(TEXT, min_size=POOL, max_size=POOL),
    # -1: type anything; otherwise one of the values the page offers.
    picks=st.lists(st.integers(-1, 20), min_size=POOL, max_size=POOL),
    dates=st.lists(_date_boxes(), min_size=POOL, max_size=POOL),
    upload=st.tuples(
        st.sampled_from(["letter.pdf", "letter.docx", "a.exe", "upload", "x" * 300 + ".pdf"]),
        st.one_of(st.binary(max_size=200), st.just(b"%PDF-1.4 " + b"x" * 100)),
    ),
)


def _value(draws: Draws, spec: dict[str, Any]) -> Any:
    kind, options = spec["kind"], spec["options"]
    index = draws.next()
    if kind == "file":
        return SimpleUploadedFile(*draws.upload)
    pick = draws.picks[index]
    if kind == "hidden" and pick >= 0:
        return spec["value"]
    if options and pick >= 0:
        if kind == "checkbox":
            return [option for number, option in enumerate(options) if (pick >> number) & 1]
        return options[pick % len(options)]
    return draws.texts[index]


OPENED: set[str] = set()


@pytest.fixture(autouse=True)
def _each_test_opens_its_pages_afresh():
    """Fixtures run once per test, not per example: a test's first example opens its pages first."""
    OPENED.clear()


def _fuzz(client: Client, url: str, data: Any, *, expect_form: bool = True, used: int = 200) -> None:
    """Fill in every form on the page at ``url`` with drawn values and send it.

    The page must show a form the first time a test opens it; an earlier example may since have
    done what the form does (turned the request down, used the link once: answered ``used``)."""
    draws = data.draw(DRAWS)
    page = client.get(url)
    first = url not in OPENED
    OPENED.add(url)
    assert page.status_code == 200 or (page.status_code == used and not first), (url, page.status_code)
    forms = _forms(page.content, url)
    assert forms or not (expect_form and first), f"no form on {url}"
    for form in forms:
        values = {name: _value(draws, spec) for name, spec in form.fields.items()}
        for name in form.fields:
            for suffixes in DATE_PARTS:
                if name.endswith(suffixes[0]):
                    prefix = name.removesuffix(suffixes[0])
                    boxes = draws.dates[draws.next()]
                    values.update({prefix + suffix: box for suffix, box in zip(suffixes, boxes, strict=True)})
        if form.method == "post":
            response = client.post(form.action, values)
        else:
            response = client.get(form.action, {k: v for k, v in values.items() if isinstance(v, str | list)})
        assert response.status_code < 500, (form.action, values, response.status_code)


# The same examples on every run, so that the README's test command is repeatable; a new example
# that breaks a form is found by raising max_examples locally, then kept here as a plain test.
FUZZ = settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- public pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/check-your-area/", "/deadlines/", "/verify/", "/sign-in/"])
@FUZZ
@given(data=st.data())
def test_public_forms(personas, url, data):
    _fuzz(Client(), url, data)


def _walk_to(client: Client, steps: list[tuple[str, dict[str, Any]]], slug: str) -> str:
    assert slug in [before for before, _ in steps]
    for before, answers in steps:
        if before == slug:
            break
        response = client.post(reverse(f"intake:{before}"), answers)
        assert response.status_code == 302, (before, response.status_code)
    return reverse(f"intake:{slug}")


# Each question of the request journey, with a journey that reaches it (from intake/tests/journey.py,
# whose answers are dated from today, so they are read when each test runs).
JOURNEY_STEPS = [
    *(("parent_mediation", slug) for slug in ("who", "help", "decisions", "letter-date", "letter", "child")),
    *(("parent_mediation", slug) for slug in ("postcode", "contact", "access")),
    *(("professional_dr", slug) for slug in ("your-details", "family-agreed", "disagreement")),
]


@pytest.fixture
def walked(db, name, slug):
    """A browser part-way through the journey; walked again when a fuzzed answer sent it elsewhere."""
    state: dict[str, Any] = {}

    def client() -> tuple[Client, str]:
        if "client" not in state or state["client"].get(state["url"]).status_code != 200:
            state["client"] = Client()
            state["url"] = _walk_to(state["client"], getattr(journey, name)(), slug)
        return state["client"], state["url"]

    return client


@pytest.mark.parametrize(("name", "slug"), JOURNEY_STEPS)
@FUZZ
@given(data=st.data())
def test_every_page_of_the_request_journey(walked, name, slug, data):
    client, url = walked()
    _fuzz(client, url, data)


@FUZZ
@given(data=st.data())
def test_the_check_and_send_page(db, data):
    client = Client()
    steps = journey.parent_mediation()
    for slug, answers in steps:
        client.post(reverse(f"intake:{slug}"), answers)
    _fuzz(client, reverse("intake:check"), data)


@pytest.fixture
def consent_token(personas):
    return _token(_party(_asked(personas), "la_officer"))


@FUZZ
@given(data=st.data())
def test_the_consent_link(consent_token, data):
    token = consent_token
    _fuzz(Client(), reverse("cases_public:dr_consent", args=[token]), data, used=410)


@pytest.fixture
def signing_token(personas, monkeypatch):
    made: list[str] = []
    real = agreement_services.secrets.token_urlsafe

    def catch(n: int) -> str:
        made.append(real(n))
        return made[-1]

    monkeypatch.setattr(agreement_services.secrets, "token_urlsafe", catch)
    case = held_case(personas)
    agreement_services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    agreement_services.send_for_signature(actor=personas.mediator, case=case)
    # Other tokens are made on the way (the family's link): the signing link is one that opens.
    return next(
        token
        for token in made
        if Client().get(reverse("agreements_public:sign", args=[token])).status_code == 200
    )


def test_the_signing_link(personas, signing_token):
    url = reverse("agreements_public:sign", args=[signing_token])
    assert _forms(Client().get(url).content, url), "no form on the signing page"

    # The link works once: after an example signs, the rest are answered 410 (and must not be 500).
    @FUZZ
    @given(data=st.data())
    def fill_in(data):
        OPENED.add(url)
        _fuzz(Client(), url, data, used=410)

    fill_in()


def test_a_hidden_nul_character_in_a_signature_is_refused_in_words(personas, signing_token):
    # Found by the fuzzing above on PostgreSQL, whose text columns cannot hold a NUL: it was a 500.
    url = reverse("agreements_public:sign", args=[signing_token])
    response = Client().post(url, {"full_name": "Sam\x00 Jones", "confirmed": "yes"})
    assert response.status_code == 400  # the signing page answers a refusal with 400 and the words
    assert "Enter your full name without hidden characters" in response.content.decode()


@pytest.fixture
def survey_url(personas):
    survey = FollowUpSurvey.objects.get(case=case_in(personas, Case.Status.CLOSED))
    return reverse("feedback_public:survey", args=[survey_token(survey)])


@FUZZ
@given(data=st.data())
def test_the_follow_up_survey(survey_url, data):
    # Answered once; after that the link only thanks the family (200, with no form).
    _fuzz(Client(), survey_url, data)


@pytest.fixture
def meeting_held(personas):
    return case_in(personas, Case.Status.MEETING_HELD)


@FUZZ
@given(data=st.data())
def test_the_familys_page(meeting_held, data):
    case = meeting_held
    # The family's own page may show no form (nothing to ask for yet); its forms, if any, are fuzzed.
    _fuzz(Client(), reverse("cases_public:family_case", args=[family_token(case)]), data, expect_form=False)


# --- staff pages -----------------------------------------------------------------------------------


def _manager(personas: Any) -> Client:
    client = Client()
    client.force_login(personas.manager)
    return client


@FUZZ
@given(data=st.data())
def test_the_case_list_filters_and_opening_a_case(personas, data):
    client = _manager(personas)
    _fuzz(client, reverse("cases:case_list"), data)
    _fuzz(client, reverse("cases:open_case"), data)


@pytest.fixture
def phoned_in(personas):
    return phone_request(personas)


@FUZZ
@given(data=st.data())
def test_accepting_and_turning_down_a_request(personas, phoned_in, data):
    request = phoned_in
    _fuzz(_manager(personas), reverse("cases:request_detail", args=[request.reference]), data)


def _status_for(action: workflow.Action) -> tuple[str, str]:
    """A status (and kind of case) the tests can build from which this action may be taken."""
    for status in sorted(action.sources):
        for kind in sorted(action.kinds):
            if status in ROUTES and (ROUTES[status][0] == kind or status in ANY_KIND):
                return status, kind
    raise AssertionError(f"no test route to a status where {action.name} is allowed")


ACTIONS = sorted(workflow.ACTIONS)


@pytest.fixture
def case_for_action(personas, action):
    if action in ("send_for_signature", "record_wet_signature"):
        # An agreement written down (and, for a signature on paper, sent) first.
        case = held_case(personas)
        agreement_services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
        if action == "record_wet_signature":
            agreement_services.send_for_signature(actor=personas.mediator, case=case)
        return case
    status, kind = _status_for(workflow.ACTIONS[action])
    return case_in(personas, status, kind=kind)


@pytest.mark.parametrize("action", ACTIONS)
@FUZZ
@given(data=st.data())
def test_every_case_action(personas, case_for_action, action, data):
    definition = workflow.ACTIONS[action]
    case = case_for_action
    page = definition.page
    url = (
        reverse(page, args=[case.reference])
        if page
        else reverse("cases:case_action", args=[case.reference, action])
    )
    client = Client()
    client.force_login(personas.manager)
    _fuzz(client, url, data)


@pytest.mark.parametrize(
    "url",
    [
        "/django-admin/statutory/oneoffholiday/add/",
        "/django-admin/localities/localauthority/{authority}/change/",
    ],
)
@FUZZ
@given(data=st.data())
def test_admin_forms(personas, url, data):
    # The manager who looks after the service's settings in Django's admin, as the demo sets them up.
    type(personas.manager).objects.filter(pk=personas.manager.pk).update(is_staff=True, is_superuser=True)
    client = _manager(personas)
    _fuzz(client, url.format(authority=personas.authority.pk), data)


def test_the_journeys_cover_every_question():
    from sendmediation.intake.forms import QUESTION_FORMS

    assert {slug for _, slug in JOURNEY_STEPS} == set(QUESTION_FORMS)
