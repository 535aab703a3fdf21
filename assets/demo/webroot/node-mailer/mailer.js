'use strict';

// Weekly newsletter. The Mailjet key and secret come from the environment
// (set by the hosting panel), never from this file.
const nodemailer = require('nodemailer');

const transporter = nodemailer.createTransport({
  host: 'in-v3.mailjet.com',
  port: 587,
  auth: {
    user: process.env.MJ_APIKEY_PUBLIC,
    pass: process.env.MJ_APIKEY_PRIVATE,
  },
});

async function sendNewsletter(to, html) {
  return transporter.sendMail({
    from: '"La Fleur Bakery" <news@lafleur-bakery.example>',
    to,
    subject: 'This week at La Fleur',
    html,
  });
}

module.exports = { sendNewsletter };
