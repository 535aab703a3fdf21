import com.mailjet.client.MailjetClient;
import com.mailjet.client.ClientOptions;

public class EmailService {
    public static void sendEmail(String receiver, String link) throws Exception {
        MailjetClient client;
        client = new MailjetClient(
            "e6378d2685370c269e18c740701e56f8",
            "38fd21de30b5d0020ac7103d53c7f968",
            new ClientOptions("v3.1"));
    }

    public static void statistics() throws Exception {
        MailjetClient client = new MailjetClient(System.getenv("3be090dd6e00400ada147bf332a418af"), System.getenv("afd5a74c772c43875632f61697e070ab"));
    }
}
