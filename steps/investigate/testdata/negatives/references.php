<?php
use \Mailjet\Client;

$mj = new Client(getenv('MJ_APIKEY_PUBLIC'), getenv('MJ_APIKEY_PRIVATE'), true, ['version' => 'v3.1']);
$key = env('MAILJET_APIKEY');
$secret = $_ENV['MAILJET_APISECRET'] ?? '';
