<?php
// Theme helpers: the version string is the stylesheet's md5.
wp_enqueue_style( 'shop', get_stylesheet_uri(), array(), 'f569dd759af93e761650429790783e11' );
$api_key = 'e96fb7e37bebc6ffe5411bcede7e4680'; // a maps API key
foo( 'fe93981541af3c30232ae5c2e47d5743', '3d64d48bed607833359e3fa5bfe5daa7' );
