<?php
define( 'DB_NAME', 'shop' );
define('AUTH_KEY', '17a92fb0c67665418714614e2397bd05');
define('SECURE_AUTH_KEY', 'ed9c299ff2ae7f4334cd05a4b9fffa17');
define('NONCE_SALT', 'f6a3420cd23283df7dae3ee09b6e9dc9');
define('WPMS_MAILJET_API_KEY', '341a7f34fe166f33ad96152386bd4bb1');
define( 'WPMS_MAILJET_SECRET_KEY', "4df545149b514f2ed40e0a581b2f0cc6" );
define('MAILJET_APIKEY', 'eec62d74a1c9ba1d8870a249485295de');
define('MAILJET_APISECRET', 'a9a353194c1adcf0dc8f069e3f574042');
