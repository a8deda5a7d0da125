"""The public website's first content, installed by a data migration and then edited by staff in Wagtail.

``install_site_content(apps)`` takes a model registry, so the migration runs it with the models as
they were at that migration, whatever later migrations change. It only adds what is missing (pages
by slug under the home page, testimonials when there are none), so running it again changes
nothing and never overwrites an editor's work. Migration 0002 runs this code: content for a field
that a later migration adds belongs in a later data migration, not here.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_supported_language_variant

from config.brand import brand

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet, as Wagtail's Page uses
STEP = 4
ASK_FOR_HELP = "/request/"
DEADLINES = "/deadlines/"

Block = dict[str, Any]


# Blocks, in the JSON form Wagtail stores for a StreamField.


def _block(kind: str, value: Any) -> Block:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def heading(text: str, level: str = "h2") -> Block:
    return _block("heading", {"text": text, "level": level})


def text(html: str) -> Block:
    return _block("text", html)


def inset(html: str) -> Block:
    return _block("inset_text", html)


def warning(plain: str) -> Block:
    return _block("warning_text", plain)


def details(summary: str, html: str) -> Block:
    return _block("details", {"summary": summary, "text": html})


def button(label: str, address: str) -> Block:
    return _block("button", {"text": label, "page": None, "address": address})


def _link(label: str, address: str, description: str = "") -> dict[str, Any]:
    return {"text": label, "page": None, "address": address, "description": description}


def link(label: str, address: str, description: str = "") -> Block:
    return _block("link", _link(label, address, description))


def links(title: str, items: list[tuple[str, str, str]]) -> Block:
    return _block(
        "links",
        {"heading": title, "links": [_block("item", _link(*item)) for item in items]},
    )


def table(caption: str, headers: list[str], rows: list[list[str]]) -> Block:
    return _block(
        "table",
        {
            "caption": caption,
            "headers": [_block("item", header) for header in headers],
            "rows": [_block("item", [_block("item", cell) for cell in row]) for row in rows],
        },
    )


def contact_details() -> Block:
    return _block("contact_details", None)


def way(title: str, summary: str, page_id: int) -> Block:
    return _block("way", {"heading": title, "text": summary, "page": page_id})


def stream(*blocks: Block) -> str:
    return json.dumps(list(blocks))


# The pages.


def _pages() -> list[dict[str, Any]]:
    b = brand()
    phone, email = escape(b["phone"]), escape(b["email"])
    mail_link = f'<a href="mailto:{email}">{email}</a>'
    return [
        {
            "model": "StandardPage",
            "slug": "mediation",
            "title": "Mediation",
            "summary": (
                "Mediation is a meeting where an independent mediator helps you and the local authority "
                "try to agree about an education, health and care (EHC) needs assessment or plan, "
                "without going to the SEND Tribunal."
            ),
            "body": stream(
                heading("What mediation is"),
                text(
                    "<p>At mediation, you and the local authority meet with a mediator. The mediator is "
                    "independent: they do not work for the local authority or the health service, and "
                    "they do not take sides.</p>"
                    "<p>The mediator helps everyone understand each other, keeps your child's needs at "
                    "the centre of the conversation, and helps you look for an answer you can all "
                    "accept.</p>"
                ),
                heading("Decisions mediation can cover"),
                text(
                    "<p>You can ask for mediation about a decision the local authority has made that you "
                    "could appeal to the SEND Tribunal:</p>"
                    "<ul><li>refusing to carry out an EHC needs assessment</li>"
                    "<li>refusing to issue an EHC plan after an assessment</li>"
                    "<li>the special educational needs described in the plan (section B)</li>"
                    "<li>the special educational provision in the plan, which is the help your child "
                    "will get (section F)</li>"
                    "<li>the school or college named in the plan, the type of school, or no school being "
                    "named (section I)</li>"
                    "<li>refusing to carry out a new assessment (a re-assessment)</li>"
                    "<li>refusing to change or replace the plan after a review</li>"
                    "<li>deciding to stop keeping the plan (to cease to maintain it)</li></ul>"
                    "<p>Mediation can also cover the health and social care parts of an EHC plan "
                    "(sections C, D, G, H1 and H2).</p>"
                ),
                heading("It is free, and it is your choice"),
                text(
                    "<p>Mediation is free for families. You do not have to go to mediation. If you "
                    "choose it, the local authority must take part, and must send someone who can make "
                    "decisions at the meeting.</p>"
                    "<p>If the disagreement is about health care, someone from the health service (the "
                    "integrated care board) may take part too.</p>"
                ),
                heading("Where and when it happens"),
                text(
                    "<p>Mediation is usually one meeting of 2 to 3 hours. It can be at a venue near you "
                    "or online, whichever suits you better. We tell you the date and place at least 5 "
                    "working days before, unless you agree to a shorter time.</p>"
                    "<p>Mediation should take place within 30 days of the local authority being told "
                    "that you want it. If it cannot be arranged in time, we give you a mediation "
                    "certificate so that you can still appeal.</p>"
                ),
                heading("Who can come"),
                text(
                    "<p>You can bring one person to support you, such as a friend, a relative or an "
                    "advocate. To bring more than one, everyone taking part (or the mediator) has to "
                    "agree. Young people aged 16 to 25 can ask for mediation themselves.</p>"
                    "<p>Tell us if you need an interpreter, British Sign Language (BSL) or any other "
                    "help to take part, and we will arrange it.</p>"
                ),
                heading("What the mediator does and does not do"),
                text(
                    "<p>The mediator will:</p>"
                    "<ul><li>run the meeting and make sure everyone has their say</li>"
                    "<li>keep the child's or young person's needs at the centre</li>"
                    "<li>help you and the local authority look for solutions</li>"
                    "<li>write down anything you agree</li></ul>"
                    "<p>The mediator will not:</p>"
                    "<ul><li>take sides or decide who is right</li>"
                    "<li>make decisions for you or the local authority</li>"
                    "<li>give you legal advice</li>"
                    "<li>tell anyone outside the meeting what was said, unless someone is at risk of "
                    "harm</li></ul>"
                ),
                heading("If you reach an agreement"),
                text(
                    "<p>The mediator writes the agreement down in detail: who will do what, and by "
                    "when. Everyone signs it, and everyone gets a copy.</p>"
                    "<p>The law sets time limits for the local authority and the health service to do "
                    "what they agreed.</p>"
                ),
                heading("If you do not agree"),
                text(
                    "<p>After mediation we send you a mediation certificate within 3 working days, "
                    "whether or not you reached an agreement. You can use it to appeal to the SEND "
                    "Tribunal. You have until 2 months after the date on the decision letter, or 1 "
                    "month after the date on the certificate, whichever is later.</p>"
                ),
                inset(
                    '<p>Not sure whether mediation is right for you? <a href="/mediation-advice/">'
                    "Mediation information and advice</a> is a short phone call that explains your "
                    "choices.</p>"
                ),
                button("Ask for help", ASK_FOR_HELP),
            ),
        },
        {
            "model": "StandardPage",
            "slug": "disagreement-resolution",
            "title": "Disagreement resolution",
            "summary": (
                "Disagreement resolution is a meeting, led by an independent person, that helps settle a "
                "disagreement about how a child's or young person's special educational needs are being met."
            ),
            "body": stream(
                heading("What it can help with"),
                text(
                    "<p>Disagreement resolution can help with a disagreement:</p>"
                    "<ul><li>between a family and the local authority, a school's or nursery's governors, "
                    "an early years provider, a further education college or an academy, about how they "
                    "carry out their duties to children and young people with special educational "
                    "needs</li>"
                    "<li>between a family and a nursery, school or college, about the special "
                    "educational help it gives</li>"
                    "<li>between a family and the health service (the integrated care board) or the "
                    "local authority, about health or social care while a child or young person is "
                    "being assessed, or while an EHC plan is being written, reviewed or changed</li>"
                    "<li>between the local authority and the health service, while a child or young "
                    "person is being assessed or a plan is being written</li></ul>"
                ),
                heading("Who can use it"),
                text(
                    "<p>It is for any child or young person with special educational needs, whether or "
                    "not they have an education, health and care (EHC) plan. Young people aged 16 to "
                    "25 can ask for it themselves. It is free for families.</p>"
                ),
                heading("Everyone has to agree"),
                text(
                    "<p>Disagreement resolution only happens if everyone involved agrees to take part. "
                    "Nobody can be made to come.</p>"
                ),
                heading("You can use it at any time"),
                text(
                    "<p>You can ask for disagreement resolution at any time, even after you have "
                    "appealed to the SEND Tribunal. It does not stop you appealing.</p>"
                ),
                heading("What happens"),
                text(
                    "<p>An independent person runs a meeting where everyone explains their point of "
                    "view and looks for a way forward. It can be held near you or online. If you "
                    "reach an agreement, it is written down: who will do what, and by when. Everyone "
                    "signs it and gets a copy.</p>"
                ),
                heading("How it is different from mediation"),
                text(
                    "<ul><li>Mediation is about a decision by the local authority that you can appeal "
                    "to the SEND Tribunal, and if you choose it the local authority must take part. "
                    "Disagreement resolution covers other disagreements, and everyone has to agree to "
                    "take part.</li>"
                    "<li>Disagreement resolution never gives you a mediation certificate. If you want to "
                    'appeal, you still need <a href="/mediation-advice/">mediation information and '
                    "advice</a> first, unless your appeal does not need a certificate.</li></ul>"
                ),
                button("Ask for help", ASK_FOR_HELP),
            ),
        },
        {
            "model": "StandardPage",
            "slug": "mediation-advice",
            "title": "Mediation information and advice",
            "summary": (
                "Before most appeals to the SEND Tribunal you must speak to a mediation adviser. We give "
                "this advice free, in a phone call of about 20 minutes."
            ),
            "body": stream(
                heading("The phone call"),
                text(
                    "<p>A mediation adviser phones you at a time that suits you. The call takes about "
                    "20 minutes. The adviser explains what mediation is, how it works and what could "
                    "happen next, and answers your questions. They do not take sides, and they will not "
                    "push you to choose mediation.</p>"
                ),
                heading("After the call, you choose"),
                text(
                    "<ul><li><strong>Go to mediation.</strong> We arrange a meeting with the local "
                    'authority. <a href="/mediation/">Read about mediation</a>.</li>'
                    "<li><strong>Take a mediation certificate.</strong> If you do not want mediation, we "
                    "send you a certificate within 3 working days of you telling us.</li></ul>"
                ),
                heading("What a mediation certificate is"),
                text(
                    "<p>A mediation certificate is a document, not a meeting. It shows that you have "
                    "had mediation advice, or been to mediation. You send it to the SEND Tribunal with "
                    "your appeal form.</p>"
                    "<p>We give you a certificate:</p>"
                    "<ul><li>after the advice call, if you decide not to go to mediation</li>"
                    "<li>after mediation, whether or not you reached an agreement</li>"
                    "<li>if the local authority cannot arrange mediation within 30 days</li></ul>"
                ),
                heading("When you do not need a certificate"),
                text(
                    "<p>You can appeal without a certificate if your appeal is only about:</p>"
                    "<ul><li>the school or college named in the EHC plan, the type of school, or no "
                    "school being named (section I)</li>"
                    "<li>the health or social care recommendations in the plan</li>"
                    "<li>disability discrimination</li></ul>"
                    "<p>You can still choose mediation about these if you want to.</p>"
                ),
                heading("Contact us within 2 months"),
                warning(
                    "You must contact us within 2 months of the date the local authority sent its "
                    "decision letter."
                ),
                text(
                    "<p>The 2 months start from the date on the letter, not the day it reached you. If "
                    "you are near the end of the 2 months, contact us straight away.</p>"
                    "<p>To appeal, you then have until 2 months after the date on the decision letter, "
                    "or 1 month after the date on your certificate, whichever is later.</p>"
                    f'<p><a href="{DEADLINES}">Work out your deadlines</a> from the date on your '
                    "letter.</p>"
                ),
                button("Ask for help", ASK_FOR_HELP),
            ),
        },
        {
            "model": "ArticlePage",
            "slug": "a-mediators-view",
            "title": "Mediation from a mediator's view",
            "summary": (
                "One of our mediators describes a mediation meeting from start to finish, and what helps "
                "families and local authorities reach agreement."
            ),
            "body": stream(
                text(
                    "<p>We asked one of our mediators what happens at a mediation meeting. When we "
                    "publish the video of this conversation, it will appear on this page with captions. "
                    "The full text is below.</p>"
                )
            ),
            "transcript": (
                "<p><strong>What happens before the meeting?</strong></p>"
                "<p>I speak to the family and to the local authority separately first. I want to know "
                "what matters most to each of them, and whether anyone needs anything to take part: an "
                "interpreter, a quiet room, regular breaks or meeting online.</p>"
                "<p><strong>How does the meeting start?</strong></p>"
                "<p>I explain my role. I am independent. I do not work for the council, I do not take "
                "sides and I cannot make decisions for anyone. Then everyone gets time to say what they "
                "think, without being interrupted.</p>"
                "<p><strong>How do you keep the child at the centre?</strong></p>"
                "<p>I keep coming back to the child. What are they like? What do they enjoy? What would "
                "make the biggest difference to them next term? Sometimes parents bring a photo, or a "
                "few words their child has written. It helps everyone remember why we are there.</p>"
                "<p><strong>What does a good agreement look like?</strong></p>"
                "<p>It is specific. 'More support' is not an agreement. 'The school will give one hour "
                "of speech and language therapy each week from 1 March' is. Each point says who will do "
                "what, and by when. Everyone signs it and everyone leaves with a copy.</p>"
                "<p><strong>And if there is no agreement?</strong></p>"
                "<p>Sometimes people agree some things but not others. That is still progress. Whatever "
                "happens, the family gets a mediation certificate within 3 working days, so they can "
                "still appeal to the Tribunal if they need to.</p>"
            ),
        },
        {
            "model": "UsefulLinksPage",
            "slug": "useful-documents-and-links",
            "title": "Useful documents and links",
            "summary": "Documents to download, and other organisations that can help.",
            "body": stream(
                heading("From us"),
                link(
                    "Our leaflet (PDF, 2 pages)",
                    "/leaflet.pdf",
                    "Mediation advice, mediation and disagreement resolution on one sheet of paper",
                ),
                link("Work out your deadlines", DEADLINES, "From the date on the local authority's letter"),
                heading("The law and official guidance"),
                link(
                    "Children with special educational needs and disabilities (SEND)",
                    "https://www.gov.uk/children-with-special-educational-needs",
                    "GOV.UK's guide for families",
                ),
                link(
                    "SEND code of practice: 0 to 25 years",
                    "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25",
                    "Chapter 11 explains mediation and disagreement resolution",
                ),
                link(
                    "The Special Educational Needs and Disability Regulations 2014",
                    "https://www.legislation.gov.uk/uksi/2014/1530/contents",
                    "Regulations 32 to 44 are about mediation",
                ),
                link(
                    "Appeal to the SEND Tribunal",
                    "https://www.gov.uk/courts-tribunals/first-tier-tribunal-special-educational-needs-and-disability",
                    "How to appeal, and the appeal form",
                ),
                heading("Independent advice"),
                link(
                    "IPSEA (Independent Provider of Special Education Advice)",
                    "https://www.ipsea.org.uk/",
                    "Free legal advice and guides about the law on special educational needs",
                ),
                text(
                    "<p>Every local authority area also has a SEND information, advice and support "
                    "service (SENDIASS). It gives free, impartial advice to families and young people. "
                    "Your local authority's website tells you how to contact it.</p>"
                ),
            ),
        },
        {
            "model": "StandardPage",
            "slug": "young-people",
            "title": "For young people",
            "summary": "If you are aged 16 to 25, you can ask for help yourself.",
            "body": stream(
                heading("You can ask for yourself"),
                text(
                    "<p>From the end of the school year in which you turn 16, you can make your own "
                    "decisions about your education, health and care (EHC) plan. That means you can ask "
                    "for mediation advice, mediation or disagreement resolution yourself. Your parents "
                    "or carers can still help you if you want them to.</p>"
                ),
                heading("Your views matter most"),
                text(
                    "<p>Mediation is about you, so your views are at the centre. You can:</p>"
                    "<ul><li>come to the meeting, or to part of it</li>"
                    "<li>write down or record what you want to say</li>"
                    "<li>ask someone you trust to speak for you</li>"
                    "<li>bring someone to support you</li></ul>"
                ),
                heading("Help to take part"),
                text(
                    "<p>Tell us what would help you: a quiet room, breaks, meeting online, information "
                    "in easy read, an interpreter or British Sign Language (BSL).</p>"
                ),
                heading("It is private"),
                text(
                    "<p>The mediator does not tell anyone outside the meeting what was said, unless "
                    "someone is at risk of harm.</p>"
                ),
                details(
                    "What is the difference between mediation and disagreement resolution?",
                    "<p>Mediation is about a decision by the local authority that you could appeal to "
                    "the SEND Tribunal, such as what your EHC plan says. If you choose it, the local "
                    "authority has to come.</p>"
                    "<p>Disagreement resolution is for other disagreements, for example about the help "
                    "your college gives you. Everyone has to agree to take part.</p>",
                ),
                button("Ask for help", ASK_FOR_HELP),
            ),
        },
        {
            "model": "StandardPage",
            "slug": "professionals",
            "title": "For professionals",
            "summary": (
                "Schools, colleges, local authority officers, health professionals and SENDIASS advisers "
                "can refer a family to us, but only with the family's permission."
            ),
            "body": stream(
                heading("Refer only with the family's permission"),
                warning(
                    "Only refer a family or young person who has agreed to it. We will ask you to "
                    "confirm that they agreed, and we record it."
                ),
                text(
                    "<p>When you refer, tell us how to contact the parent or young person, which local "
                    "authority is responsible, the decision or disagreement, the date on the decision "
                    "letter if there is one, and anything they need to take part, such as an "
                    "interpreter.</p>"
                ),
                heading("Deadlines"),
                text(
                    "<p>Families must contact us within 2 months of the date on the local authority's "
                    "decision letter if they may want to appeal. Please refer as early as you can. "
                    f'<a href="{DEADLINES}">Work out the deadlines</a>.</p>'
                ),
                heading("Local authority officers"),
                text(
                    "<p>If a family chooses mediation, the local authority must take part. Please send "
                    "someone who can make decisions at the meeting. The law sets time limits for "
                    "holding the mediation and for doing what was agreed.</p>"
                ),
                heading("Schools, colleges and early years providers"),
                text(
                    "<p>Disagreement resolution can help when a family disagrees with you about the "
                    "special educational help you give. It only goes ahead if everyone agrees to take "
                    "part.</p>"
                ),
                heading("Health services"),
                text(
                    "<p>Where a disagreement includes health care, the integrated care board may be "
                    "asked to take part in mediation or disagreement resolution.</p>"
                ),
                button("Refer a family", ASK_FOR_HELP),
            ),
        },
        {
            "model": "LeafletPage",
            "slug": "leaflet",
            "title": "Settling disagreements about special educational needs",
            "summary": "Our leaflet explains our free help on one sheet of paper, to print or share.",
            "front": stream(
                text(
                    "<p>We are an independent charity. We help families, children and young people "
                    "settle disagreements about special educational needs and disability (SEND) without "
                    "going to a tribunal. Our help is free for families.</p>"
                ),
                heading("Mediation information and advice"),
                text(
                    "<p>To appeal to the SEND Tribunal about an education, health and care (EHC) needs "
                    "assessment or plan, you must usually speak to a mediation adviser first. The "
                    "adviser phones you for about 20 minutes, explains mediation and answers your "
                    "questions. Then you choose: go to mediation, or take a mediation certificate.</p>"
                ),
                warning("Contact us within 2 months of the date on the local authority's decision letter."),
                heading("Mediation"),
                text(
                    "<p>A meeting, usually of 2 to 3 hours, near you or online. An independent mediator "
                    "helps you and the local authority talk and try to agree. The mediator does not "
                    "take sides or make decisions. Mediation is your choice, but if you choose it the "
                    "local authority must take part.</p>"
                    "<p>If you agree, the mediator writes down who will do what, and by when. Everyone "
                    "signs it and gets a copy.</p>"
                ),
                heading("Disagreement resolution"),
                text(
                    "<p>A meeting about how a nursery, school, college, local authority or health service "
                    "is meeting a child's special educational needs, with or without an EHC plan. You "
                    "can ask at any time, even after you have appealed. Everyone has to agree to take "
                    "part.</p>"
                ),
            ),
            "back": stream(
                heading("Mediation, disagreement resolution or a certificate?"),
                text(
                    "<ul><li><strong>Mediation</strong> is for a decision you can appeal to the SEND "
                    "Tribunal. The local authority must come if you choose it.</li>"
                    "<li><strong>Disagreement resolution</strong> is for other disagreements about "
                    "special educational needs. Everyone must agree to take part. It never gives you a "
                    "certificate.</li>"
                    "<li><strong>A mediation certificate</strong> is a document, not a meeting. You "
                    "need it to appeal, unless your appeal is only about the school or college named, "
                    "health or social care, or disability discrimination.</li></ul>"
                ),
                heading("Decisions mediation can cover"),
                text(
                    "<ul><li>refusing to assess, or to re-assess, a child's needs</li>"
                    "<li>refusing to issue an EHC plan</li>"
                    "<li>the needs, the help, or the school or college in a plan</li>"
                    "<li>refusing to change a plan after a review, or deciding to stop it</li>"
                    "<li>the health and social care parts of a plan</li></ul>"
                ),
                heading("How to ask for help"),
                text(
                    "<p>Ask online, phone or email us. Have the decision letter with you if you have "
                    "one. Tell us if you need an interpreter, British Sign Language or any other help "
                    "to take part. Young people aged 16 to 25 can ask for themselves.</p>"
                ),
            ),
        },
        {
            "model": "StandardPage",
            "slug": "contact",
            "title": "Contact us",
            "summary": "Phone or email us about mediation advice, mediation or disagreement resolution.",
            "body": stream(
                heading("Phone and email"),
                contact_details(),
                heading("Ask online"),
                text(
                    f'<p>You can also <a href="{ASK_FOR_HELP}">ask for help online</a>. Have the '
                    "decision letter with you if you have one.</p>"
                ),
                heading("Post"),
                text(f"<p>{escape(b['address'])}</p>"),
                heading("Help to contact us"),
                text(
                    "<p>If you need an interpreter, British Sign Language (BSL) or another adjustment, "
                    "tell us and we will arrange it.</p>"
                ),
            ),
        },
        {
            "model": "StandardPage",
            "slug": "accessibility",
            "title": "Accessibility statement",
            "summary": (
                f"{b['organisation_name']} runs this website. We want as many people as possible to be "
                "able to use it."
            ),
            "body": stream(
                text(
                    "<p>You should be able to:</p>"
                    "<ul><li>change colours, contrast levels and fonts using your browser or device "
                    "settings</li>"
                    "<li>zoom in up to 400% without the text spilling off the screen</li>"
                    "<li>get around the website using just a keyboard</li>"
                    "<li>use the website with a screen reader</li>"
                    "<li>use every page, including the request for help, with JavaScript turned off</li>"
                    "<li>watch our videos with captions, or read a transcript instead</li></ul>"
                ),
                heading("How accessible this website is"),
                text(
                    "<p>We aim to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at "
                    "level AA. We test every page with automated checks, and by using the pages with a "
                    "keyboard and a screen reader. Our leaflet is a tagged PDF, so screen readers can "
                    "read it, and the same words are on a web page.</p>"
                ),
                heading("If you need information in a different format"),
                text(
                    "<p>If you need information on this website in a different format, such as large "
                    f"print, easy read, audio or British Sign Language (BSL), phone us on {phone} or "
                    f"email {mail_link}. {escape(b['reply_within'])}</p>"
                ),
                heading("Reporting accessibility problems"),
                text(
                    "<p>If you find a problem that is not listed on this page, or you think we are not "
                    f"meeting accessibility requirements, email {mail_link}.</p>"
                ),
                heading("Enforcement procedure"),
                text(
                    "<p>If you are not happy with how we respond to your complaint, contact the "
                    '<a href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support '
                    "Service (EASS)</a>.</p>"
                ),
            ),
        },
        {
            "model": "StandardPage",
            "slug": "privacy",
            "title": "Privacy notice",
            "summary": (
                f"{b['organisation_name']} is the data controller for the information you give us. This "
                "notice explains what we collect, why, and your rights."
            ),
            "body": stream(
                heading("What we collect"),
                text(
                    "<p>When you ask for help we collect your name and contact details, your child's "
                    "name and date of birth, your postcode, the local authority, the decision you "
                    "disagree with and any access needs you tell us about. Information about a child's "
                    "special educational needs, health or disability is special category data.</p>"
                ),
                heading("Why we use it"),
                text(
                    "<p>We use it only to give you mediation advice, arrange mediation or disagreement "
                    "resolution, issue mediation certificates and keep the records the law and our "
                    "contracts with local authorities require. Our lawful basis is public task and, for "
                    "special category data, substantial public interest.</p>"
                ),
                heading("Who sees it"),
                text(
                    "<p>Only the staff working on your case, and the local authority or health service "
                    "taking part in the mediation. Reports to local authorities contain numbers, never "
                    "names.</p>"
                ),
                heading("How long we keep it"),
                text("<p>We keep a closed case for 6 years and then anonymise it.</p>"),
                heading("Your rights"),
                text(
                    "<p>You can ask to see, correct or delete your information. Email "
                    f"{mail_link}. You can complain to the "
                    '<a href="https://ico.org.uk/make-a-complaint/">Information Commissioner\'s '
                    "Office</a>.</p>"
                ),
            ),
        },
        {
            "model": "StandardPage",
            "slug": "cookies",
            "title": "Cookies",
            "summary": (
                "Cookies are small files saved on your phone, tablet or computer when you visit a website."
            ),
            "body": stream(
                text(
                    "<p>We use only essential cookies. We do not use cookies to track you or for "
                    "advertising, and we do not use analytics cookies.</p>"
                ),
                table(
                    "Essential cookies",
                    ["Name", "Purpose", "Expires"],
                    [
                        [
                            "sessionid",
                            "Remembers your answers while you fill in a request for help, and keeps staff "
                            "signed in",
                            "8 hours",
                        ],
                        ["csrftoken", "Stops other websites sending forms in your name", "1 year"],
                    ],
                ),
            ),
        },
    ]


TESTIMONIALS = [
    (
        "I was dreading the meeting, but the mediator kept everyone focused on what my son needs. We left "
        "with a plan that said exactly who would do what, and by when.",
        "Parent, Kent",
        True,
    ),
    (
        "I didn't know I could ask for mediation myself. The adviser explained everything in one phone call.",
        "Young person, 17",
        True,
    ),
    (
        "The school and the local authority were finally in the same room. It was the first time I felt "
        "listened to.",
        "Parent, Hertfordshire",
        True,
    ),
    (
        "After the advice call I knew I wanted to appeal, and the certificate came two days later.",
        "Parent, Leeds",
        False,  # the person has not agreed: it must never be shown
    ),
]


def _home_fields(pages: dict[str, int]) -> dict[str, Any]:
    return {
        "intro": (
            "<p>We help families, children and young people settle disagreements about special "
            "educational needs and disability (SEND) without going to a tribunal. We can help if you "
            "disagree with the local authority, a school, a college or the health service.</p>"
            "<p>Our help is free for families. We are an independent charity: we do not work for any "
            "local authority or health service.</p>"
        ),
        "ways_heading": "How we can help",
        "ways_we_help": stream(
            way(
                "Mediation information and advice",
                "A phone call of about 20 minutes. We explain mediation and answer your questions. You "
                "need to speak to us before most appeals to the SEND Tribunal, and we give you the "
                "mediation certificate you need to appeal.",
                pages["mediation-advice"],
            ),
            way(
                "Mediation",
                "A meeting where an independent mediator helps you and the local authority try to agree "
                "about an education, health and care (EHC) needs assessment or plan. It is your choice, "
                "and if you choose it the local authority must take part.",
                pages["mediation"],
            ),
            way(
                "Disagreement resolution",
                "A meeting to settle other disagreements about how a child's special educational needs "
                "are being met, with or without an EHC plan, at any time. Everyone has to agree to take "
                "part.",
                pages["disagreement-resolution"],
            ),
        ),
        "body": stream(
            heading("Mediation, disagreement resolution or a certificate?"),
            text(
                "<p><strong>Mediation</strong> is for a decision by the local authority that you can "
                "appeal to the SEND Tribunal, such as refusing to assess your child, or what an EHC plan "
                "says. Going is your choice, but if you choose it the local authority must come.</p>"
                "<p><strong>Disagreement resolution</strong> is for other disagreements about special "
                "educational needs, for example about the help a school gives. Everyone involved has to "
                "agree to take part. It can happen at any time, even after an appeal has started.</p>"
                "<p><strong>A mediation certificate</strong> is a document, not a meeting. It shows that "
                "you have had mediation advice, or been to mediation. You usually need one to appeal to "
                "the SEND Tribunal. Disagreement resolution never gives you a certificate.</p>"
            ),
            links(
                "More information",
                [
                    ("For young people", "/young-people/", "If you are 16 to 25, you can ask for yourself"),
                    ("For professionals", "/professionals/", "Refer a family, with their permission"),
                    ("Mediation from a mediator's view", "/a-mediators-view/", "What happens on the day"),
                    ("Useful documents and links", "/useful-documents-and-links/", ""),
                    ("Our leaflet", "/leaflet/", "To print or share"),
                ],
            ),
        ),
        "testimonials_heading": "What families say",
    }


# Installing.


def _base36(number: int) -> str:
    digits = ""
    while number:
        number, remainder = divmod(number, 36)
        digits = ALPHABET[remainder] + digits
    return digits or "0"


def _next_child_path(page_model: Any, parent: Any) -> str:
    last = (
        page_model.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEP:], 36) + 1 if last else 1
    return parent.path + _base36(number).rjust(STEP, "0")


def _content_type(apps: Any, app_label: str, model: str) -> Any:
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label=app_label, model=model.lower()
    )
    return content_type


def _add_page(apps: Any, parent: Any, model: str, slug: str, title: str, fields: dict[str, Any]) -> Any:
    page_model = apps.get_model("wagtailcore", "Page")
    now = timezone.now()
    page = apps.get_model("website", model).objects.create(
        title=title,
        draft_title=title,
        slug=slug,
        content_type=_content_type(apps, "website", model),
        locale_id=parent.locale_id,
        path=_next_child_path(page_model, parent),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{slug}/",
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        latest_revision_created_at=now,
        **fields,
    )
    parent.numchild += 1
    page_model.objects.filter(pk=parent.pk).update(numchild=parent.numchild)
    return page


def _root(apps: Any) -> Any:
    page_model = apps.get_model("wagtailcore", "Page")
    root = page_model.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        return root
    locale_model = apps.get_model("wagtailcore", "Locale")
    locale = locale_model.objects.order_by("pk").first() or locale_model.objects.create(
        language_code=get_supported_language_variant(settings.LANGUAGE_CODE)
    )
    return page_model.objects.create(
        title="Root",
        draft_title="Root",
        slug="root",
        content_type=_content_type(apps, "wagtailcore", "page"),
        locale=locale,
        path=_base36(1).rjust(STEP, "0"),
        depth=1,
        numchild=0,
        url_path="/",
    )


def _home(apps: Any, root: Any) -> Any:
    home_model = apps.get_model("website", "HomePage")
    home = home_model.objects.order_by("path").first()
    if home is not None:
        return home
    page_model = apps.get_model("wagtailcore", "Page")
    # Wagtail installs a placeholder "Welcome" page as the site's root: the home page takes its place.
    placeholder = page_model.objects.filter(
        depth=2, slug="home", numchild=0, content_type=_content_type(apps, "wagtailcore", "page")
    ).first()
    if placeholder is not None:
        placeholder.delete()  # its Site goes with it
        root.numchild = page_model.objects.filter(path__startswith=root.path, depth=2).count()
        page_model.objects.filter(pk=root.pk).update(numchild=root.numchild)
    title = "Help to settle a disagreement about special educational needs"
    empty = {"intro": "", "ways_we_help": "[]", "body": "[]"}
    return _add_page(apps, root, "HomePage", "home", title, empty)


def install_site_content(apps: Any) -> None:
    """Create the home page, the content pages and the testimonials where they are missing."""
    page_model = apps.get_model("wagtailcore", "Page")
    root = _root(apps)
    home = _home(apps, root)
    site_model = apps.get_model("wagtailcore", "Site")
    if not site_model.objects.filter(is_default_site=True).exists():
        site_model.objects.create(
            hostname="localhost",
            port=80,
            site_name=brand()["service_name"],
            root_page_id=home.pk,
            is_default_site=True,
        )
    existing = dict(
        page_model.objects.filter(path__startswith=home.path, depth=home.depth + 1).values_list("slug", "pk")
    )
    for spec in _pages():
        if spec["slug"] in existing:
            continue
        fields = {key: value for key, value in spec.items() if key not in {"model", "slug", "title"}}
        page = _add_page(apps, home, spec["model"], spec["slug"], spec["title"], fields)
        existing[spec["slug"]] = page.pk
    if not home.intro:
        for field, value in _home_fields(existing).items():
            setattr(home, field, value)
        home.save()
    testimonial_model = apps.get_model("website", "Testimonial")
    if not testimonial_model.objects.exists():
        today = timezone.localdate()
        for quote, attribution, consented in TESTIMONIALS:
            testimonial_model.objects.create(
                quote=quote,
                attribution=attribution,
                consent_recorded=consented,
                consent_date=today if consented else None,
            )
