const Mailjet = require("node-mailjet");

const mailjet = new Mailjet({
  apiKey: process.env.MJ_APIKEY_PUBLIC || "c7cef5c3f2c3b37b2e57228e648975f8",
  apiSecret: process.env.MJ_APIKEY_PRIVATE || "98dfa4c17adf22d76eed5233fd95802f",
});
