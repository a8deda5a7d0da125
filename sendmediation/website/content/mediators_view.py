"""The page at /a-mediators-view/."""

from __future__ import annotations

from sendmediation.website.content.corrections import MEDIATORS_VIEW_INTRODUCTION as INTRODUCTION
from sendmediation.website.content.stream import stream, text
from sendmediation.website.models import ArticlePage

SLUG = "a-mediators-view"


def page() -> ArticlePage:
    return ArticlePage(
        slug=SLUG,
        title="Mediation from a mediator's view",
        summary=(
            "One of our mediators describes a mediation meeting from start to finish, and what helps "
            "families and local authorities reach agreement."
        ),
        body=stream(text(INTRODUCTION)),
        transcript=(
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
    )
