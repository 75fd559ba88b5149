"""The Warden's briefing as one object (`build`), drawn on the /briefing page and written as PDF / PPTX."""

from reports.briefing.build import Briefing, BriefingError, BriefingInputs, Slide, assemble, build_briefing, gather

__all__ = ["Briefing", "BriefingError", "BriefingInputs", "Slide", "assemble", "build_briefing", "gather"]
