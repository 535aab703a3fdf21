<?php
return [
    'smtp' => [
        'host' => $_ENV['SMTP_HOST']
            ?? 'in-v3.mailjet.com',
        'username' => $_ENV['SMTP_USERNAME']
            ?? '40ac6403517b0f552ad207f6a52f768c',
        'password' => $_ENV['SMTP_PASSWORD']
            ?? 'a1f5600db1bc96693568c0c1c3ab5329',
        'port' => (
            $_ENV['SMTP_PORT']
            ?? $_SERVER['SMTP_PORT']
        ) ?: 587,
    ],
    'mailjet_api_key' => getenv('MJ_APIKEY_PUBLIC') ?: '83e0572c8b9d4e3368bc21f4cc81146b',
    'mailjet_secret_key' => getenv('MJ_APIKEY_PRIVATE') ?: '72360a621b310b3b99481177bc172cd1',
];
