<?php
require 'vendor/autoload.php';

$mj = new \Mailjet\Client('5e2602887015ea6118aa521c2ef9d32a', '658a6b88bafd41010b7892aaa1b8e99c', true, ['version' => 'v3.1']);
