<?php
// Helpers around the Mailjet client; nothing secret is stored here.
function cache_for( $name ) {
    return hash_hmac( 'md5', $name, '60be9ba733e6c768f2031fe54666b556' );
}
$defaults = array( 'template' => '6b811d75b048b78d106e98ecf64d9ec9', 'list' => '1a1925b89f3ab3046283f7ad14e344ca' );
render( '658a6b88bafd41010b7892aaa1b8e99c', '5e2602887015ea6118aa521c2ef9d32a' );
