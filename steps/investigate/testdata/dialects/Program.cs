using Mailjet.Client;

var client = new MailjetClient("0a1b2c3d4e5f60718293a4b5c6d7e8f9", "fe9fc289c3ff0af142b6d3bead98a923");
