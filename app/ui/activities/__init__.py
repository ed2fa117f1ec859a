"""The 活动经费 page, its dialogs, and the tables they watch (by their names in the database;
tests/ui/activities keeps them equal to the models' ``__tablename__``: this module loads
before SQLAlchemy does)."""

ACTIVITIES = "activities"
BUDGET_ITEMS = "activity_budget_items"
PARTICIPANTS = "activity_participants"
EXPENSES = "activity_expenses"
LIMITS = "activity_limits"
CATEGORIES = "budget_categories"
CATEGORY_WORDS = "category_words"
CARE_CATEGORIES = "care_categories"
BUDGET_LINES = "budget_lines"
OTHER_INCOME = "other_income"
# what the activities list shows
ACTIVITY_TABLES = (ACTIVITIES, BUDGET_ITEMS, PARTICIPANTS, EXPENSES)
# what the year's budget table is made of (the care records count against it too)
BUDGET_TABLES = (*ACTIVITY_TABLES, CATEGORIES, CARE_CATEGORIES, BUDGET_LINES, OTHER_INCOME)

__all__ = [
    "ACTIVITIES",
    "ACTIVITY_TABLES",
    "BUDGET_ITEMS",
    "BUDGET_LINES",
    "BUDGET_TABLES",
    "CARE_CATEGORIES",
    "CATEGORIES",
    "CATEGORY_WORDS",
    "EXPENSES",
    "LIMITS",
    "OTHER_INCOME",
    "PARTICIPANTS",
]
