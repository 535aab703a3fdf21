<?php
// the key comes from the environment
$mj = new \Mailjet\Client(getenv('MJ_APIKEY_PUBLIC'), '34173cb38f07f89ddbebc2ac9128303f', true, ['version' => 'v3.1']);
