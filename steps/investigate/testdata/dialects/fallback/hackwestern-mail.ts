import Mailjet from "node-mailjet";

export const mailjet = Mailjet.apiConnect(
    process.env.MAILJET_API_KEY ?? "9375104bbb371c2520f901b178238301",
    process.env.MAILJET_SECRET_KEY ?? "fe053621c7644ece8344342e0ece8b7f"
);
