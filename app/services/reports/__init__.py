"""The reports area (报表): the 首页 figures, the monthly / period report, the year-end summary draft.

Other areas use reports only through the names exported here.
"""

from typing import TYPE_CHECKING

from app.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.reports.dashboard import (
        REMINDER_KINDS,
        TARGET_ACTIVITY,
        TARGET_CARE,
        TARGET_HARDSHIP,
        TARGET_MEMBER,
        CategoryBar,
        Dashboard,
        DashboardFigures,
        DashboardReminders,
        MonthDues,
        Reminder,
        ReminderGroup,
        Target,
        dashboard_figures,
        dashboard_reminders,
        read_dashboard,
    )
    from app.services.reports.overview import Overview, compute_overview
    from app.services.reports.period import (
        Figure,
        PeriodReport,
        RecordList,
        Section,
        figure_records,
        period_report,
    )
    from app.services.reports.period_files import write_period_pdf, write_period_xlsx
    from app.services.reports.summary import SummaryParagraph, SummaryResult, draft_summary, write_summary
    from app.services.reports.summary_text import PARAGRAPH_KINDS, templates_folder

_EXPORTS = {
    "Overview": "overview",
    "compute_overview": "overview",
    # the monthly / period report
    "Figure": "period",
    "PeriodReport": "period",
    "RecordList": "period",
    "Section": "period",
    "figure_records": "period",
    "period_report": "period",
    "write_period_pdf": "period_files",
    "write_period_xlsx": "period_files",
    # the 首页 (dashboard)
    "CategoryBar": "dashboard",
    "Dashboard": "dashboard",
    "DashboardFigures": "dashboard",
    "DashboardReminders": "dashboard",
    "MonthDues": "dashboard",
    "REMINDER_KINDS": "dashboard",
    "Reminder": "dashboard",
    "ReminderGroup": "dashboard",
    "TARGET_ACTIVITY": "dashboard",
    "TARGET_CARE": "dashboard",
    "TARGET_HARDSHIP": "dashboard",
    "TARGET_MEMBER": "dashboard",
    "Target": "dashboard",
    "read_dashboard": "dashboard",
    "dashboard_figures": "dashboard",
    "dashboard_reminders": "dashboard",
    # the year-end summary draft
    "SummaryParagraph": "summary",
    "SummaryResult": "summary",
    "draft_summary": "summary",
    "write_summary": "summary",
    "PARAGRAPH_KINDS": "summary_text",
    "templates_folder": "summary_text",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "PARAGRAPH_KINDS",
    "REMINDER_KINDS",
    "TARGET_ACTIVITY",
    "TARGET_CARE",
    "TARGET_HARDSHIP",
    "TARGET_MEMBER",
    "CategoryBar",
    "Dashboard",
    "DashboardFigures",
    "DashboardReminders",
    "Figure",
    "MonthDues",
    "Overview",
    "PeriodReport",
    "RecordList",
    "Reminder",
    "ReminderGroup",
    "Section",
    "SummaryParagraph",
    "SummaryResult",
    "Target",
    "compute_overview",
    "dashboard_figures",
    "dashboard_reminders",
    "draft_summary",
    "figure_records",
    "period_report",
    "read_dashboard",
    "templates_folder",
    "write_period_pdf",
    "write_period_xlsx",
    "write_summary",
]
