const nodemailer = require('nodemailer');

const transporter = nodemailer.createTransport({
  host: 'in-v3.mailjet.com',
  port: 587,
  secure: false,
  auth: {
    user: 'd1ca4c01709cb9326afd44afddc8fb3b',
    pass: '3ff805c0b6994c3dd453e2c3c40e37d9',
  },
});
