# django-anymail
INSTALLED_APPS = ["anymail"]
EMAIL_BACKEND = "anymail.backends.mailjet.EmailBackend"
ANYMAIL = {
    "MAILJET_API_KEY": "b8e2f1c09a7d4e3f5a6b7c8d9e0f1a2b",
    "MAILJET_SECRET_KEY": "3b5d5c3712955042212316173ccf37be",
}
