"""UnionDesk 基层工会工作台."""

__version__ = "0.1.0"
APP_NAME = "UnionDesk"
APP_TITLE = "UnionDesk 基层工会工作台"
