"""Time units: the model's clock runs in minutes from the start of the horizon."""

MIN_PER_HOUR = 60
MIN_PER_DAY = 24 * MIN_PER_HOUR
MIN_PER_WEEK = 7 * MIN_PER_DAY
