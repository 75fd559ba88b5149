"""Placeholder: the Program Review page is being built in its own issue and replaces this file."""
import streamlit as st

st.title("Program Review")
st.info("This page is being built.", icon=":material/construction:")
