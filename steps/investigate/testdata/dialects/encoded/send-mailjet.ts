import { removeHTMLTags } from "./utils"

const baseUrl = "https://api.mailjet.com/v3.1"

const config = {
	pub: "1fa5370e76d4d873fd8c1311c6e29ea1",
	priv: "c5f988ab62d495f6655277de10fe233e",
}

export async function sendMailJet(emailData: any): Promise<any> {
	const res = await fetch(`${baseUrl}/send`, {
		method: "POST",
		headers: {
			"Content-Type": "application/json",
			"Authorization": "Basic " + btoa(`${config.pub}:${config.priv}`)
		},
		body: JSON.stringify(emailData),
	})
	return res.json()
}

const a = "00ee3e3a4d7d17a7b0c8fcf546d26cd8"
const b = "1d662cc9118ac85852cff53354e3a6f8"
const getBasicAuth = () =>
  Buffer.from(a + ":" + b).toString('base64')
