"""Published answers: questions and answers from citizens' cases whose submitters consented,
rewritten by staff without personal data, published after a head's approval and searchable."""
