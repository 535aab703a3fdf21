const Mailjet = require('node-mailjet');

const mailjet = Mailjet.apiConnect(process.env.MJ_APIKEY_PUBLIC, process.env.MJ_APIKEY_PRIVATE);
const client = new Mailjet({ apiKey: process.env.MJ_APIKEY_PUBLIC, apiSecret: `${process.env.MJ_APIKEY_PRIVATE}` });
