<?php
return [
    'backend' => [
        'frontName' => 'admin_1ws9f8'
    ],
    'crypt' => [
        'key' => '0c1826dd742586744465a43fa9c69e93'
    ],
    'db' => [
        'table_prefix' => '',
        'connection' => [
            'default' => [
                'host' => 'localhost',
                'dbname' => 'magento',
                'username' => 'magento2',
                'password' => 'magento2',
                'active' => '1'
            ]
        ]
    ],
    'system' => [
        'default' => [
            'smtp' => [
                'configuration_option' => [
                    'host' => 'in-v3.mailjet.com',
                    'port' => '587',
                    'protocol' => 'tls',
                    'authentication' => 'login',
                    'username' => '6d329cccf735aebe7d8d34e3c0fe2c55',
                    'password' => '6f8dc5644b03f0eb3f8892dd4f01061b'
                ]
            ]
        ]
    ]
];
