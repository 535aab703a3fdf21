<?php

return [

    /*
    | Third party services. The Mailjet key and secret are read from .env,
    | never written here.
    */

    'mailjet' => [
        'key' => env('MAILJET_APIKEY'),
        'secret' => env('MAILJET_APISECRET'),
        'transactional' => [
            'call' => true,
            'options' => [
                'url' => 'api.mailjet.com',
                'version' => 'v3.1',
                'call' => true,
                'secured' => true,
            ],
        ],
    ],

];
