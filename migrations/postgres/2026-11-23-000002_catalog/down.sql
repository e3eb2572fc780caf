DROP TABLE exercise_images;
DROP TABLE hidden_exercises;
DROP TABLE precautions;
DROP TABLE exercises;
