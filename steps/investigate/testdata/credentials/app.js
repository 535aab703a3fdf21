const mailjet = require('node-mailjet').apiConnect('1a1925b89f3ab3046283f7ad14e344ca', '6b811d75b048b78d106e98ecf64d9ec9');
const legacy = Mailjet.apiConnect(
  process.env.MJ_APIKEY_PUBLIC, '60be9ba733e6c768f2031fe54666b556');
const client = new Mailjet({ apiKey: '3d64d48bed607833359e3fa5bfe5daa7', apiSecret: 'fe93981541af3c30232ae5c2e47d5743' });
