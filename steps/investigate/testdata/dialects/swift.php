<?php
$transport = (new Swift_SmtpTransport('in-v3.mailjet.com', 587, 'tls'))
    ->setUsername('7f3e9d2c1b0a99887766554433221100')
    ->setPassword('2838023a778dfaecdc212708f721b788');
