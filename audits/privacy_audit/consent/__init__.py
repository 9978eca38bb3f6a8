"""Find the consent banner and make the phase's choice: autoconsent first, our own scan second."""
