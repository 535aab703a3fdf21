import os
from mailjet_rest import Client

api_key = os.environ['MJ_APIKEY_PUBLIC']
api_secret = os.getenv("MJ_APIKEY_PRIVATE")
mailjet = Client(auth=(api_key, api_secret), version='v3.1')
