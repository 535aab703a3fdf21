<?php
require 'vendor/autoload.php';
use \Mailjet\Resources;

$mj = new \Mailjet\Client(
    '9bec2324a6c7801772fbcb67fa08ba37',
    '3fffa462b401784acfcd4f53523e383e',
    true,
    ['version' => 'v3.1']
);
