<footer class="site-footer">
	<p>La Fleur Bakery &middot; 12 Rue des Lilas &middot; open Tuesday to Sunday, 7am to 7pm</p>
</footer>
<?php wp_footer(); ?>
</body>
</html>
