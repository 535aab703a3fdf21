import mj from 'node-mailjet'

const mailjet = mj.connect(
  process.env.API_MAILJET_KEY || '3b982cd73569d2c89f5a86d6314cd10f',
  process.env.API_MAILJET_SECRET || '7579647ec4da83b979035cfb0600b27b'
)

export { mailjet }
