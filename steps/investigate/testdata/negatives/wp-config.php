<?php
define( 'WPMS_MAILER', 'mailjet' );
define( 'WPMS_MAILJET_API_KEY', getenv( 'MJ_APIKEY_PUBLIC' ) );
define( 'WPMS_MAILJET_SECRET_KEY', getenv( 'MJ_APIKEY_PRIVATE' ) );
define( 'AUTH_KEY',         '488a1cd9b1912eb2296e01a02abb5738' );
define( 'SECURE_AUTH_KEY',  '2d70cb47f1ac1df1f5c19c9a079afd7a' );
define( 'LOGGED_IN_KEY',    '5ed41a9953b9b7358f1df73895b9651d' );
define( 'NONCE_KEY',        'b9fc4162d50bfe7854938cf307a39080' );
define( 'AUTH_SALT',        '2af3dc44a17f9f467979da116ebe6562' );
define( 'SECURE_AUTH_SALT', 'd26f161fe2e543f6b311535444badc73' );
define( 'LOGGED_IN_SALT',   '3c62a2d067933a595404b916e3b3ac8f' );
define( 'NONCE_SALT',       '05ac463d137c5ca98e7beeffdf5025c7' );
