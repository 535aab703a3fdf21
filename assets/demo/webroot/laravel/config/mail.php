<?php

return [
    'default' => env('MAIL_MAILER', 'mailjet'),

    'mailers' => [
        'mailjet' => [
            'transport' => 'mailjet',
        ],
        'log' => [
            'transport' => 'log',
            'channel' => env('MAIL_LOG_CHANNEL'),
        ],
    ],

    'from' => [
        'address' => env('MAIL_FROM_ADDRESS', 'orders@lafleur-bakery.example'),
        'name' => env('MAIL_FROM_NAME', 'La Fleur Orders'),
    ],
];
