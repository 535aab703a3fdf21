<?php
return [
    'backend' => [
        'frontName' => 'admin'
    ],
    'crypt' => [
        'key' => '3d0ad6569699a35bedd64e3898edebcf'
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
            'mailjet' => [
                'general' => [
                    'enabled' => '1'
                ]
            ]
        ]
    ],
    'crypt_inline' => ['crypt' => ['key' => 'c27800e7738b59cea1aac7318ace231a']],
];
