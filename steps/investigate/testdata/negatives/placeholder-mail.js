const Mailjet = require("node-mailjet");

const mailjet = new Mailjet({
  apiKey: process.env.MJ_APIKEY_PUBLIC || "d308df1335d8341d453eb1bb5106430c",
  apiSecret: process.env.MJ_APIKEY_PRIVATE || "your-api-secret",
});

const legacy = Mailjet.apiConnect(
  process.env.MJ_APIKEY_PUBLIC || 'e6e050cf2db6b6c25bf30eec4c69fd0c',
  process.env.MJ_APIKEY_PRIVATE || '<your_private_api_key>'
);
