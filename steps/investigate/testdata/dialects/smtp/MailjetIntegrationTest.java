package com.example.auth;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

@SpringBootTest
@TestPropertySource(properties = {
    "spring.mail.host=in-v3.mailjet.com",
    "spring.mail.port=587",
    "spring.mail.username=303c4513ca9e4a40c42d44afd73f3736",
    "spring.mail.password=58cca853fcdd135fc21a1c27bb057bf0",
    "spring.mail.properties.mail.smtp.auth=true",
})
public class MailIntegrationTest {
}
