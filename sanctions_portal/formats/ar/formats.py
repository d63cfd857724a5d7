# "12 يونيو 2015" (Western digits, as in the Arabic editions of UN documents; no comma before the year).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y H:i"
