"""Corrections to words installed earlier that were wrong, made only where those words are untouched.

Earlier installs promised a video of a mediator that does not exist, and told families that an
appeal "only about" health or social care needs no certificate. There is no such appeal: the
Tribunal makes recommendations on health and social care only with an appeal about education,
which needs the certificate; the exemptions are an appeal only about section I and a disability
discrimination claim. A page whose words an editor has changed, or that has a draft waiting, is
left for the editor.
"""

from __future__ import annotations

from typing import NamedTuple


class Correction(NamedTuple):
    slug: str
    field: str
    wrong: str
    right: str


MEDIATION_ADVICE_EXEMPTIONS = (
    "<p>You can appeal without a certificate if your appeal is only about the school or college named "
    "in the EHC plan, the type of school or college, or that none is named (section I).</p>"
    "<p>You do not need one for a disability discrimination claim either: that is a claim to the "
    "Tribunal, not an appeal about an EHC plan.</p>"
    "<p>An appeal cannot be about the health or social care parts of a plan on their own. The Tribunal "
    "can make recommendations about them only as part of an appeal about education, such as sections "
    "B, F or I, and that appeal needs a certificate in the usual way.</p>"
    "<p>You can still choose mediation about any of these if you want to.</p>"
)

LEAFLET_CERTIFICATE = (
    "<li><strong>A mediation certificate</strong> is a document, not a meeting. You need it to appeal, "
    "unless the appeal is only about the school or college named in the plan, its type, or that none "
    "is named. A disability discrimination claim does not need one.</li></ul>"
)

MEDIATORS_VIEW_INTRODUCTION = (
    "<p>We asked one of our mediators what happens at a mediation meeting, from the first phone call "
    "to the signed agreement. This is what they told us.</p>"
)

CORRECTIONS = (
    Correction(
        slug="mediation-advice",
        field="body",
        wrong=(
            "<p>You can appeal without a certificate if your appeal is only about:</p>"
            "<ul><li>the school or college named in the EHC plan, the type of school, or no "
            "school being named (section I)</li>"
            "<li>the health or social care recommendations in the plan</li>"
            "<li>disability discrimination</li></ul>"
            "<p>You can still choose mediation about these if you want to.</p>"
        ),
        right=MEDIATION_ADVICE_EXEMPTIONS,
    ),
    Correction(
        slug="leaflet",
        field="back",
        wrong=(
            "<li><strong>A mediation certificate</strong> is a document, not a meeting. You "
            "need it to appeal, unless your appeal is only about the school or college named, "
            "health or social care, or disability discrimination.</li></ul>"
        ),
        right=LEAFLET_CERTIFICATE,
    ),
    Correction(
        slug="a-mediators-view",
        field="body",
        wrong=(
            "<p>We asked one of our mediators what happens at a mediation meeting. When we "
            "publish the video of this conversation, it will appear on this page with captions. "
            "The full text is below.</p>"
        ),
        right=MEDIATORS_VIEW_INTRODUCTION,
    ),
)
