"""Write an audit's findings and observations as HTML, JSON and JUnit, in the report's language."""
