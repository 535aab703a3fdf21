<?php
// The phpinfo page was removed; only check whether the function exists.
if ( function_exists( 'phpinfo' ) ) {
	echo 'ok';
}
