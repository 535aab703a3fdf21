#!/bin/sh
curl -s -X POST \
  --user "1f3870be274f6c49b3e31a0c6728957f:37693cfc748049e45d87b8c7d8b9aacd" \
  https://api.mailjet.com/v3.1/send -H 'Content-Type: application/json' -d @message.json
