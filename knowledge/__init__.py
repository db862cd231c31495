"""The shipped fact base (data only). `DEFAULT` is the path of the summit fact base."""

from pathlib import Path

DEFAULT = Path(__file__).with_name("summit.yaml")
