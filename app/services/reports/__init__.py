"""The reports area: the 首页 figures today; the monthly report and the year-end draft later."""
