from mailjet_rest import Client
import os

mj = Client(auth=('f569dd759af93e761650429790783e11', '3f845271ddc8a6ed6d81dd9f11fcf56c'), version='v3.1')

api_key = 'e96fb7e37bebc6ffe5411bcede7e4680'
api_secret = os.environ['MJ_APIKEY_PRIVATE']
