<?php
use \Mailjet\Resources;
use Mailjet\Client;

function notify() {
    $mj = new Client('c7f188589c4d347c813b4da866b5823d','c36b27996b998b38673cae98569088dd');
    return $mj->post(Resources::$Email, ['body' => []]);
}
