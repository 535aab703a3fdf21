using Mailjet.Client;

MailjetClient client = new MailjetClient(
    Environment.GetEnvironmentVariable("22a961f44bb1c775d3c450d4f7f1cfde"),
    Environment.GetEnvironmentVariable("d5a4b928f3ee01ab4eca12e310d9c9cc"));
