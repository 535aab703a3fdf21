const PUB = "b4a6b7d99f1b14b13f531c8b12f1c01a"
const PVT = "ec4c54ba76f25469463a8c5217a19258"

const Mailjet = require('node-mailjet');
const mailjet = Mailjet.apiConnect(
  PUB,
  PVT
);
