# "12 июня 2015 г.": the month in the genitive ("E").
DATE_FORMAT = "j E Y г."
DATETIME_FORMAT = "j E Y г. H:i"
SHORT_DATE_FORMAT = "j E Y г."
SHORT_DATETIME_FORMAT = "j E Y г. H:i"
